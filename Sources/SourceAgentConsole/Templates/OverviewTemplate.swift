extension ConsoleTemplates {
    /// The overview: last cycle, pause, answers, holds by age, the fleet.
    static let overview = """
        {{> head}}
        {{#paused}}<p class="notice">Paused: {{pausedBy}}. Nothing is sent to Flxpoint; FRs are decided as holds.</p>{{/paused}}
        <h2>Agent</h2>
        <dl class="facts">
        <dt>Last cycle</dt><dd>{{lastCycle}}{{#lastCycleAt}}, <span title="{{exact}}">{{text}}</span>{{/lastCycleAt}}</dd>
        {{#cycleError}}<dt>Last error</dt><dd class="warn">{{cycleError}}</dd>{{/cycleError}}
        <dt>Guard</dt><dd>{{guard}}</dd>
        <dt>Pause</dt><dd>{{pause}}</dd>
        <dt>Answers</dt><dd>{{answers}}</dd>
        <dt>Stock</dt><dd>{{stock}}{{#stockAt}} <span title="{{exact}}">{{text}}</span>{{/stockAt}}</dd>
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
}
