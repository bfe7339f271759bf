import Mustache

/// The console's pages. Mustache's `{{value}}` escapes `& < > " '`, and no template uses the
/// unescaped `{{{ }}}` form, so nothing from an FR, a note or a form can become markup. The
/// pages work without JavaScript: every action is a plain form POST.
enum ConsoleTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        // The templates are constants of this file: failing to parse them is a programming error.
        for (name, text) in [
            ("head", head), ("foot", foot), ("decideForm", decideForm), ("overview", overview), ("holds", holds),
            ("fr", fr), ("result", result), ("decisions", decisions), ("answers", answers), ("reports", reports),
            ("stock", stock), ("stockPreview", stockPreview), ("shipments", shipments),
            ("trackingResult", trackingResult), ("login", login), ("audit", audit), ("rules", rules),
            ("ruleVersion", ruleVersion), ("rulesApplied", rulesApplied), ("diffTable", diffTable),
            ("fleetRules", fleetRules), ("fleetLeases", fleetLeases),
        ] {
            try! library.register(text, named: name)
        }
        return library
    }()

    static func render(_ page: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: page) ?? ""
    }

    static let head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · source-agent</title>
        <style>
        body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d1d1d; background: #f6f6f4; }
        header { background: #22313f; color: #fff; padding: .6rem 1.2rem; display: flex; gap: 1.2rem;
                 align-items: center; flex-wrap: wrap; }
        header a { color: #fff; } header form { margin-left: auto; }
        main { padding: 1rem 1.2rem; max-width: 72rem; }
        h1 { font-size: 1.35rem; margin: .2rem 0 1rem; } h2 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; }
        dl.facts { display: grid; grid-template-columns: max-content auto; gap: .25rem 1.2rem; }
        dl.facts dt { color: #555; } dl.facts dd { margin: 0; }
        .hold { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: .8rem 1rem; margin: .8rem 0; }
        .late { color: #b71c1c; font-weight: 600; } .ok { color: #2e7d32; } .warn { color: #b71c1c; font-weight: 600; }
        pre { background: #fafafa; border: 1px solid #e3e3e3; padding: .6rem; overflow-x: auto; font-size: 13px; }
        form.decide { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin-top: .6rem; }
        form.decide label { display: flex; flex-direction: column; font-size: 13px; color: #444; }
        button { padding: .35rem .8rem; cursor: pointer; }
        table { border-collapse: collapse; } td, th { padding: .2rem .8rem .2rem 0; text-align: left; }
        .notice { background: #fff8e1; border: 1px solid #f0c36d; padding: .6rem 1rem; border-radius: 6px; }
        .refused { background: #ffebee; border: 1px solid #e57373; padding: .6rem 1rem; border-radius: 6px; }
        form.filter { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin-bottom: 1rem; }
        form.filter label { display: flex; flex-direction: column; font-size: 13px; color: #444; }
        table.list { width: 100%; background: #fff; border: 1px solid #ddd; }
        table.list th, table.list td { padding: .3rem .6rem; border-bottom: 1px solid #eee; vertical-align: top; }
        .scroll { overflow-x: auto; }
        table.code { border-collapse: collapse; background: #fff; border: 1px solid #ddd; font-size: 13px; }
        table.code td { padding: 0 .6rem; white-space: pre; } table.code td.n { color: #888; text-align: right; user-select: none; }
        table.diff tr.added { background: #e8f5e9; } table.diff tr.removed { background: #ffebee; }
        textarea { width: 100%; box-sizing: border-box; font: 13px/1.4 ui-monospace, monospace; }
        nav { display: flex; gap: 1rem; flex-wrap: wrap; }
        @media (max-width: 40rem) { main { padding: .6rem; } header { gap: .6rem; } form.decide { flex-direction: column; align-items: stretch; }
          button { padding: .6rem 1rem; font-size: 16px; } input, select { font-size: 16px; } }
        a:focus, button:focus, input:focus, select:focus { outline: 3px solid #f0a500; outline-offset: 1px; }
        </style>
        </head>
        <body>
        <header>
        <strong>source-agent</strong>
        {{^hideNav}}
        <nav aria-label="Pages">
        <a href="/?source={{source}}">Overview</a>
        <a href="/holds?source={{source}}">Hold queue</a>
        <a href="/decisions?source={{source}}">Decisions</a>
        <a href="/answers?source={{source}}">Answers</a>
        <a href="/stock?source={{source}}">Stock</a>
        <a href="/shipments?source={{source}}">Shipments</a>
        <a href="/reports?source={{source}}">Reports</a>
        <a href="/rules?source={{source}}">Rules</a>
        <a href="/audit?source={{source}}">Audit</a>
        </nav>
        {{#multi}}<span>Source: {{#sources}}{{#current}}<strong>{{name}}</strong>{{/current}}{{^current}}<a href="/?source={{name}}">{{name}}</a>{{/current}} {{/sources}}</span>{{/multi}}
        <form method="get" action="/fr"><input type="hidden" name="source" value="{{source}}"><input name="q" placeholder="FR number or id" value="{{query}}" aria-label="FR number or id"> <button>Explain</button></form>
        {{#person}}<span>signed in as {{person}} ({{role}})</span>{{/person}}
        {{#signedIn}}<form method="post" action="/logout"><input type="hidden" name="csrf" value="{{csrf}}"><button>Sign out</button></form>{{/signedIn}}
        {{/hideNav}}
        </header>
        <main{{#live}} data-live="{{live}}" data-live-url="/live?source={{source}}&amp;page={{livePage}}"{{/live}}>
        <h1>{{title}}</h1>

        """

    static let foot = """
        </main>
        {{#live}}<script>\(ConsoleLive.script)</script>{{/live}}
        </body>
        </html>

        """

    static let decideForm = """
        <form class="decide" method="post" action="/decide">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="fr" value="{{frId}}">
        <input type="hidden" name="source" value="{{source}}">
        {{#askName}}<label>Your name <input name="by" required value="{{rememberedName}}"></label>{{/askName}}
        <label>Note <input name="note" size="28"></label>
        <button name="action" value="acknowledge">Acknowledge</button>
        <label><span><input type="checkbox" name="force" value="1"> even beyond stock</span></label>
        <button name="action" value="split">Split</button>
        <label>Reason <select name="reason">{{#reasons}}<option>{{.}}</option>{{/reasons}}</select></label>
        <label>Remainder <select name="remainder"><option>fill</option><option>kill</option></select></label>
        <button name="action" value="cancel">Cancel</button>
        <label>Hold until <input name="until" placeholder="4h or 2026-12-01T09:00:00Z" size="18"></label>
        <button name="action" value="keep-holding">Keep holding</button>
        </form>
        """

    /// Which rule version each live process of the fleet decides by.
    static let fleetRules = """
        <table class="list" id="fleet-rules"><caption>Loaded by the fleet's processes</caption>
        <thead><tr><th>Process</th><th>Version</th><th>Loaded</th><th>Last looked</th></tr></thead><tbody>
        {{#fleetRules}}<tr><td>{{process}}</td><td>{{version}}{{^current}} <span class="warn">out of date</span>{{/current}}{{#problem}}<br><span class="warn">{{problem}}</span>{{/problem}}</td><td>{{loaded}}</td><td>{{seen}}</td></tr>
        {{/fleetRules}}
        </tbody></table>
        """

    /// Which process answers each source (the shared store only).
    static let fleetLeases = """
        {{#hasLeases}}
        <h2>Fleet</h2>
        <div class="scroll"><table class="list" id="fleet-leases"><thead><tr><th>Source</th><th>Answered by</th><th>Epoch</th><th>Lease</th><th>Takeovers</th><th>Rules</th><th>Last cycle</th></tr></thead><tbody>
        {{#leases}}<tr><td>{{source}}</td><td>{{holder}}</td><td>{{epoch}}</td><td>{{expires}}</td><td>{{takeovers}}</td><td>{{rules}}</td><td>{{lastCycle}}</td></tr>
        {{/leases}}
        </tbody></table></div>
        {{/hasLeases}}
        {{> fleetRules}}
        """

    static let overview = """
        {{> head}}
        {{#paused}}<p class="notice">Paused: {{pausedBy}}. Nothing is sent to Flxpoint; FRs are decided as holds.</p>{{/paused}}
        <h2>Agent</h2>
        <dl class="facts">
        <dt>Last cycle</dt><dd>{{lastCycle}}</dd>
        {{#cycleError}}<dt>Last error</dt><dd class="warn">{{cycleError}}</dd>{{/cycleError}}
        <dt>Guard</dt><dd>{{guard}}</dd>
        <dt>Pause</dt><dd>{{pause}}</dd>
        <dt>Answers</dt><dd>{{answers}}</dd>
        <dt>Stock</dt><dd>{{stock}}</dd>
        <dt>Rules</dt><dd>{{inForce}}{{#rulesOutOfDate}} <span class="warn">{{rulesOutOfDate}} process(es) on an older version</span>{{/rulesOutOfDate}}</dd>
        </dl>
        {{> fleetLeases}}
        {{#canAct}}
        <form method="post" action="{{pauseAction}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#askName}}<label>Your name <input name="by" required value="{{rememberedName}}"></label>{{/askName}}
        <button>{{pauseButton}}</button>
        </form>
        {{/canAct}}
        <h2>Holds by age</h2>
        <table>
        {{#holdAges}}<tr><th>{{label}}</th><td>{{count}}</td></tr>
        {{/holdAges}}
        </table>
        <p><a href="/holds?source={{source}}">{{holdCount}} open hold(s) in the queue</a></p>
        <h2>Decisions taken by people</h2>
        {{^people}}<p>None yet.</p>{{/people}}
        <table>
        {{#people}}<tr><th>{{name}}</th><td>{{count}}</td></tr>
        {{/people}}
        </table>
        {{> foot}}
        """

    static let holds = """
        {{> head}}
        {{^holds}}<p>No FR is waiting for a person.</p>{{/holds}}
        {{#holds}}
        <section class="hold" id="fr-{{frId}}">
        <h2><a href="/fr?q={{frId}}&amp;source={{source}}">{{name}}</a> · held {{age}} · rule {{rule}}</h2>
        <dl class="facts">
        <dt>Note</dt><dd>{{note}}</dd>
        <dt>Ship to</dt><dd>{{shipTo}}</dd>
        <dt>Ship by</dt><dd>{{shipBy}}</dd>
        <dt>Time left</dt><dd class="{{urgency}}">{{timeLeft}}</dd>
        </dl>
        <details><summary>Trace and facts</summary><pre>{{explain}}</pre></details>
        {{#canAct}}{{> decideForm}}{{/canAct}}
        </section>
        {{/holds}}
        {{> foot}}
        """

    static let fr = """
        {{> head}}
        {{#missing}}<p class="refused">No decision is stored for FR {{query}}.</p>{{/missing}}
        {{#open}}<p class="notice">{{name}} is on hold and waiting for a person.</p>{{#canAct}}{{> decideForm}}{{/canAct}}{{/open}}
        {{#frName}}
        <h2>As received</h2>
        <dl class="facts">
        <dt>FR</dt><dd>{{frName}} (Flxpoint status {{frStatus}}, first seen {{frSeen}})</dd>
        <dt>Ship to</dt><dd>{{shipTo}}</dd>
        <dt>Ship by</dt><dd>{{shipBy}}</dd>
        </dl>
        <table class="list"><thead><tr><th>SKU</th><th>Quantity</th></tr></thead><tbody>
        {{#lines}}<tr><td>{{sku}}</td><td>{{quantity}}</td></tr>{{/lines}}
        </tbody></table>
        {{/frName}}
        {{#explain}}<h2>Decisions, with their trace and facts</h2><pre>{{explain}}</pre>{{/explain}}
        {{#frName}}
        <h2>Answers</h2>
        {{^answers}}<p>No answer was queued.</p>{{/answers}}
        {{#answers}}<dl class="facts hold"><dt>Answer</dt><dd>{{kind}}: {{state}}{{#outcome}} ({{outcome}}){{/outcome}}</dd><dt>Queued</dt><dd>{{queued}}</dd><dt>Attempts</dt><dd>{{attempts}}, last change {{updated}}</dd>{{#next}}<dt>Next try</dt><dd>{{next}}</dd>{{/next}}{{#error}}<dt>Last error</dt><dd class="warn">{{error}}</dd>{{/error}}</dl>
        {{/answers}}
        <h2>Shipments</h2>
        {{^shipments}}<p>None recorded.</p>{{/shipments}}
        {{#shipments}}<dl class="facts hold"><dt>Tracking</dt><dd>{{tracking}} {{carrier}}, {{units}} unit(s), shipped {{shipped}}</dd><dt>State</dt><dd>{{state}} (from {{from}})</dd>{{#error}}<dt>Last error</dt><dd class="warn">{{error}}</dd>{{/error}}</dl>
        {{/shipments}}
        <h2>Units held for it</h2>
        {{^held}}<p>None.</p>{{/held}}
        <table class="list"><tbody>{{#held}}<tr><th>{{sku}}</th><td>{{units}}</td></tr>{{/held}}</tbody></table>
        {{/frName}}
        {{> foot}}
        """

    static let decisions = """
        {{> head}}
        <form class="filter" method="get" action="/decisions">
        <input type="hidden" name="source" value="{{source}}">
        <label>Decision <select name="decision">{{#decisionKinds}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{title}}</option>{{/decisionKinds}}</select></label>
        <label>Rule <input name="rule" size="14" value="{{f_rule}}"></label>
        <label>Reason <select name="reason">{{#reasonOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{title}}</option>{{/reasonOptions}}</select></label>
        <label>SKU <input name="sku" size="12" value="{{f_sku}}"></label>
        <label>FR <input name="fr" size="10" value="{{f_fr}}"></label>
        <label>Person <input name="person" size="10" value="{{f_person}}"></label>
        <label>When <select name="within">{{#windows}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{title}}</option>{{/windows}}</select></label>
        <button>Show</button>
        </form>
        {{^rows}}<p>No decision matches.</p>{{/rows}}
        <div class="scroll"><table class="list">
        <thead><tr><th>Decided</th><th>FR</th><th>Decision</th><th>Rule</th><th>Reason</th><th>SKUs</th><th>Answer</th><th>By</th></tr></thead>
        <tbody>
        {{#rows}}<tr><td>{{at}}</td><td><a href="/fr?q={{frId}}&amp;source={{source}}">{{name}}</a></td><td>{{decision}}</td><td>{{rule}}</td><td>{{reason}}</td><td>{{skus}}</td><td>{{answer}}</td><td>{{by}}</td></tr>
        {{/rows}}
        </tbody>
        </table></div>
        <p>{{#newest}}<a href="{{newest}}">Newest</a> {{/newest}}{{#older}}<a href="{{older}}">Older decisions</a>{{/older}}</p>
        {{> foot}}
        """

    static let answers = """
        {{> head}}
        <h2>Failed ({{failedCount}})</h2>
        {{^failed}}<p>No answer failed.</p>{{/failed}}
        <form method="post" action="/retry">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="source" value="{{source}}">
        <div class="scroll"><table class="list">
        <thead><tr><th>Retry</th><th>FR</th><th>Decision</th><th>Tries</th><th>Why it failed</th><th>Last change</th></tr></thead>
        <tbody>
        {{#failed}}<tr><td><input type="checkbox" name="fr[]" value="{{frId}}" aria-label="retry {{name}}"></td><td><a href="/fr?q={{frId}}&amp;source={{source}}">{{name}}</a></td><td>{{decision}} ({{rule}})</td><td>{{attempts}}</td><td class="warn">{{error}}</td><td>{{updated}}</td></tr>
        {{/failed}}
        </tbody></table></div>
        {{#canAct}}
        {{#askName}}<label>Your name <input name="by" required value="{{rememberedName}}"></label>{{/askName}}
        <button>Retry the ticked answers</button> <button name="all" value="1">Retry every failed answer</button>
        {{/canAct}}
        <p>A retried FR is decided again by the rules on the agent's next cycle (now), if it is still open in Flxpoint.</p>
        </form>
        <h2>Pending ({{pendingCount}})</h2>
        {{^pending}}<p>Nothing waits to be sent.</p>{{/pending}}
        <div class="scroll"><table class="list">
        <tbody>
        {{#pending}}<tr><td><a href="/fr?q={{frId}}&amp;source={{source}}">{{name}}</a></td><td>{{decision}} ({{rule}})</td><td>{{attempts}} tries</td><td>next {{next}}</td><td class="warn">{{error}}</td></tr>
        {{/pending}}
        </tbody></table></div>
        <h2>Withdrawn ({{withdrawnCount}})</h2>
        {{^withdrawn}}<p>None.</p>{{/withdrawn}}
        <div class="scroll"><table class="list">
        <tbody>
        {{#withdrawn}}<tr><td><a href="/fr?q={{frId}}&amp;source={{source}}">{{name}}</a></td><td>{{decision}} ({{rule}})</td><td>{{outcome}}{{error}}</td><td>{{updated}}</td></tr>
        {{/withdrawn}}
        </tbody></table></div>
        {{> foot}}
        """

    static let reports = """
        {{> head}}
        <form class="filter" method="get" action="/reports">
        <input type="hidden" name="source" value="{{source}}">
        <label>Since <input name="since" size="22" value="{{since}}" placeholder="7d, 2026-11-01 or a date-time"></label>
        <label>Until <input name="until" size="22" value="{{until}}" placeholder="now"></label>
        <button>Choose</button>
        </form>
        {{#problem}}<p class="refused">{{problem}}</p>{{/problem}}
        {{#from}}<p>Decisions from {{from}} to {{to}} (UTC), as <code>source-agent report</code> writes them:</p>
        <ul>{{#links}}<li><a href="{{href}}">{{format}}</a></li>{{/links}}</ul>
        <p>The html report opens in this window (its table sorts and filters); csv and json download.</p>{{/from}}
        {{> foot}}
        """

    static let stock = """
        {{> head}}
        <p>Pool <strong>{{pool}}</strong>: {{counted}}.</p>
        <form class="filter" method="get" action="/stock">
        <input type="hidden" name="source" value="{{source}}">
        <label>SKU <input name="q" size="18" value="{{search}}" placeholder="part of a SKU"></label>
        <button>Search</button>
        </form>
        <p>{{shown}}</p>
        <div class="scroll"><table class="list">
        <thead><tr><th>SKU</th><th>Location</th><th>Counted</th><th>Held</th><th>Shipped since count</th><th>Free</th><th>Last pushed</th></tr></thead>
        <tbody>
        {{#rows}}<tr><td>{{sku}}</td><td>{{location}}</td><td>{{counted}}</td><td>{{held}}</td><td>{{shipped}}</td><td{{#short}} class="warn"{{/short}}>{{free}}</td><td>{{pushed}} {{pushedAt}}</td></tr>
        {{/rows}}
        </tbody></table></div>
        {{#canAct}}
        <h2>Upload a stock count</h2>
        <form method="post" action="/stock/preview" enctype="multipart/form-data">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="source" value="{{source}}">
        {{#askName}}<label>Your name <input name="by" required value="{{rememberedName}}"></label>{{/askName}}
        <label>CSV (sku, on_hand[, location][, cost]) <input type="file" name="file" accept=".csv,text/csv" required></label>
        <button>Preview</button>
        </form>
        <p>Nothing is written until you confirm the preview; the file replaces the pool's counts, all rows or none.</p>
        {{/canAct}}
        <h2>Pools</h2>
        <table class="list"><thead><tr><th>Pool</th><th>Sources drawing on it</th></tr></thead><tbody>
        {{#pools}}<tr><td>{{pool}}</td><td>{{sources}}</td></tr>{{/pools}}
        </tbody></table>
        {{> foot}}
        """

    static let stockPreview = """
        {{> head}}
        {{#problems}}<p class="refused">{{.}}</p>{{/problems}}
        {{#token}}
        <p class="notice">{{rows}} rows: {{summary}}. Nothing is written until you confirm.</p>
        <form method="post" action="/stock/import">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="source" value="{{source}}">
        <input type="hidden" name="token" value="{{token}}">
        <input type="hidden" name="by" value="{{by}}">
        <label><input type="checkbox" name="allow_shrink" value="1"> import even so if it leaves most SKUs with none</label>
        <button>Confirm the import</button>
        </form>
        <h2>Up</h2><table class="list"><tbody>{{#up}}<tr><td>{{sku}}</td><td>{{location}}</td><td>{{before}} → {{after}}</td></tr>{{/up}}</tbody></table>
        <h2>Down</h2><table class="list"><tbody>{{#down}}<tr><td>{{sku}}</td><td>{{location}}</td><td>{{before}} → {{after}}</td></tr>{{/down}}</tbody></table>
        <h2>New</h2><table class="list"><tbody>{{#added}}<tr><td>{{sku}}</td><td>{{location}}</td><td>{{after}}</td></tr>{{/added}}</tbody></table>
        <h2>Missing from the file</h2><table class="list"><tbody>{{#missing}}<tr><td>{{sku}}</td><td>{{location}}</td><td>{{before}} → none</td></tr>{{/missing}}</tbody></table>
        {{/token}}
        {{^token}}<p>Nothing was written. Fix the lines above and upload the file again from the <a href="/stock?source={{source}}">stock page</a>.</p>{{/token}}
        {{> foot}}
        """

    static let shipments = """
        {{> head}}
        <p>{{awaiting}}.</p>
        {{#canAct}}
        <h2>Upload a tracking file</h2>
        <form method="post" action="/shipments/upload" enctype="multipart/form-data">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="source" value="{{source}}">
        {{#askName}}<label>Your name <input name="by" required value="{{rememberedName}}"></label>{{/askName}}
        <label>CSV (fr, tracking_number[, carrier, sku, quantity, ...]) <input type="file" name="file" accept=".csv,text/csv" required></label>
        <button>Import</button>
        </form>
        {{/canAct}}
        <h2>Tracking files</h2>
        {{^files}}<p>No tracking file imported yet.</p>{{/files}}
        <div class="scroll"><table class="list">
        <thead><tr><th>When</th><th>File</th><th>From</th><th>Outcome</th><th>Rows refused</th></tr></thead>
        <tbody>
        {{#files}}<tr><td>{{at}}</td><td>{{name}}</td><td>{{origin}}{{#actor}} ({{actor}}){{/actor}}</td><td>{{summary}}</td><td>{{#problems}}<span class="warn">{{.}}</span><br>{{/problems}}</td></tr>
        {{/files}}
        </tbody></table></div>
        <h2>Acknowledged, not shipped after {{lateDays}} days ({{lateCount}})</h2>
        <form class="filter" method="get" action="/shipments"><input type="hidden" name="source" value="{{source}}"><label>Days <input name="days" type="number" min="0" max="365" value="{{lateDays}}"></label> <button>Show</button></form>
        {{^late}}<p>None.</p>{{/late}}
        <div class="scroll"><table class="list">
        <thead><tr><th>FR</th><th>Acknowledged</th><th>Units</th></tr></thead>
        <tbody>
        {{#late}}<tr><td><a href="/fr?q={{frId}}&amp;source={{source}}">{{name}}</a></td><td>{{acknowledged}}</td><td>{{units}}</td></tr>
        {{/late}}
        </tbody></table></div>
        <h2>Latest shipments</h2>
        {{^rows}}<p>None recorded yet.</p>{{/rows}}
        <div class="scroll"><table class="list">
        <thead><tr><th>Shipped</th><th>FR</th><th>Tracking</th><th>Units</th><th>State</th><th>From</th></tr></thead>
        <tbody>
        {{#rows}}<tr><td>{{shipped}}</td><td><a href="/fr?q={{frId}}&amp;source={{source}}">{{frId}}</a></td><td>{{tracking}} {{carrier}}</td><td>{{units}}</td><td>{{state}}{{#error}} <span class="warn">{{error}}</span>{{/error}}</td><td>{{from}}</td></tr>
        {{/rows}}
        </tbody></table></div>
        {{> foot}}
        """

    static let trackingResult = """
        {{> head}}
        {{#written}}<p class="notice">{{summary}}.</p>{{/written}}
        {{^written}}<p class="refused">The file was not imported: nothing was written. Fix these lines and upload it again.</p>{{/written}}
        {{#problems}}<p class="refused">{{.}}</p>{{/problems}}
        <p><a href="/shipments?source={{source}}">Back to shipments</a></p>
        {{> foot}}
        """

    static let result = """
        {{> head}}
        <p class="{{kind}}">{{message}}</p>
        {{#frId}}<p><a href="/fr?q={{frId}}&amp;source={{source}}">Explain this FR</a></p>{{/frId}}
        <p><a href="/holds?source={{source}}">Back to the hold queue</a> · <a href="/?source={{source}}">Overview</a></p>
        {{> foot}}
        """
}
