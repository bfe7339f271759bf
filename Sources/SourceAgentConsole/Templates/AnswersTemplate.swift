extension ConsoleTemplates {
    /// Failed, pending and withdrawn answers, with retry.
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
}
