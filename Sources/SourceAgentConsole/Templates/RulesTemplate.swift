extension ConsoleTemplates {
    /// The rules in force, the fleet, the history and the edit box with its preview.
    static let rules = """
        {{> head}}
        <p>File: <code>{{path}}</code>, in force for the fleet: <code>{{inForce}}</code>{{#inForceBy}}, by {{inForceBy}} {{inForceAt}}{{/inForceBy}}.
        {{#diskDiffers}}<span class="warn">The file on this machine differs from the rules in force (it was edited and has errors, or is not read yet).</span>{{/diskDiffers}}</p>
        {{> fleetRules}}
        {{#checkFailed}}<p class="refused">{{checkFailed}}</p>{{/checkFailed}}
        {{#checkPassed}}<p class="notice">Check: {{checkPassed}}.</p>{{/checkPassed}}
        {{#hasDiagnostics}}<h2>Diagnostics</h2>{{/hasDiagnostics}}
        {{#diagnostics}}<p class="{{#error}}refused{{/error}}{{^error}}notice{{/error}}"><code>{{text}}</code></p>{{/diagnostics}}
        {{#preview}}
        <h2>Preview: the last {{days}} days replayed under the edit</h2>
        <p>{{replayed}} decisions replayed, <strong>{{changed}} would change</strong>{{#unreadable}}; {{unreadable}} skipped (their FR could not be read){{/unreadable}}.</p>
        <table class="list"><thead><tr><th>Change</th><th>Decisions</th></tr></thead><tbody>
        {{#byChange}}<tr><td>{{kind}}</td><td>{{count}}</td></tr>{{/byChange}}
        </tbody></table>
        {{#hasChanges}}
        <div class="scroll"><table class="list" id="changes">
        <thead><tr><th>FR</th><th>Decided</th><th>Before</th><th>After</th><th>What changes</th></tr></thead><tbody>
        {{#changes}}<tr><td><a href="/fr?q={{frId}}&amp;source={{source}}">{{name}}</a></td><td>{{decidedAt}}</td><td>{{before}}</td><td>{{after}}</td><td>{{kinds}}</td></tr>
        {{/changes}}
        </tbody></table></div>
        {{/hasChanges}}
        {{#moreChanges}}<p>… and {{moreChanges}} more.</p>{{/moreChanges}}
        <h2>Rule tests</h2>
        <p class="{{#testsFailed}}refused{{/testsFailed}}{{^testsFailed}}notice{{/testsFailed}}">{{testSummary}}</p>
        {{#testProblems}}<p class="refused"><code>{{.}}</code></p>{{/testProblems}}
        <table class="list"><tbody>
        {{#tests}}<tr><td>{{#passed}}<span class="ok">PASS</span>{{/passed}}{{^passed}}<span class="warn">FAIL</span>{{/passed}}</td><td>{{name}}</td><td><code>{{where}}</code></td><td>{{#failures}}{{.}}<br>{{/failures}}</td></tr>
        {{/tests}}
        </tbody></table>
        {{/preview}}
        {{#canEditRules}}
        <h2>Edit</h2>
        <form method="post" action="/rules/edit">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="source" value="{{source}}">
        <input type="hidden" name="base" value="{{base}}">
        <label for="rule-text">Rule file</label>
        <textarea id="rule-text" name="text" rows="24" spellcheck="false">{{edit}}</textarea>
        <div class="decide">
        {{#askName}}<label>Your name <input name="by" required value="{{rememberedName}}"></label>{{/askName}}
        <button name="step" value="check">Check</button>
        <label>Days <input name="days" type="number" min="1" max="90" value="{{days}}" size="3"></label>
        <button name="step" value="preview">Preview</button>
        <label>Note <input name="note" size="30" value="{{note}}"></label>
        <button name="step" value="apply">Apply</button>
        </div>
        </form>
        <p>Check shows what <code>rules check</code> prints; Preview replays the logged decisions of the last days under the edit and runs the rule tests; Apply puts the edit in force for every machine of the fleet (checked again first): each decides by it from its next cycle.</p>
        {{/canEditRules}}
        <h2>In force</h2>
        <div class="scroll"><table class="code"><tbody>
        {{#lines}}<tr id="L{{number}}"><td class="n">{{number}}</td><td><code>{{text}}</code></td></tr>
        {{/lines}}
        </tbody></table></div>
        <h2>History</h2>
        {{^history}}<p>No version kept yet.</p>{{/history}}
        <div class="scroll"><table class="list"><thead><tr><th>Version</th><th>When</th><th>Who</th><th>Note</th><th></th></tr></thead><tbody>
        {{#history}}<tr><td><a href="/rules/version?id={{id}}&amp;source={{source}}">#{{id}}</a> <code>{{sha}}</code>{{#current}} <strong>in force</strong>{{/current}}</td><td>{{at}}</td><td>{{actor}}</td><td>{{note}}</td>
        <td>{{#canEditRules}}{{^current}}<form method="post" action="/rules/revert"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="source" value="{{source}}"><input type="hidden" name="id" value="{{id}}">{{#askName}}<input name="by" required value="{{rememberedName}}" aria-label="Your name" size="8">{{/askName}}<button>Revert to this</button></form>{{/current}}{{/canEditRules}}</td></tr>
        {{/history}}
        </tbody></table></div>
        {{> foot}}
        """
}
