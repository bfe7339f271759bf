extension ConsoleTemplates {
    /// Tracking files, FRs not shipped, the latest shipments, the upload form.
    static let shipments = """
        {{> head}}
        <p>{{awaiting}}{{#oldestAnswered}}, the oldest answered <span title="{{exact}}">{{text}}</span>{{/oldestAnswered}}.</p>
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
}
