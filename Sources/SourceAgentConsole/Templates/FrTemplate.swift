extension ConsoleTemplates {
    /// One FR: as received, its decisions with their traces, answers, shipments, held units.
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
}
