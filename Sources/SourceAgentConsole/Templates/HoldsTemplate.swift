extension ConsoleTemplates {
    /// The hold queue: each held FR with its trace and the decision buttons.
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
}
