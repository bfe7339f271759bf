extension ConsoleTemplates {
    /// The header every page starts with: styles, navigation, who is signed in.
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
}
