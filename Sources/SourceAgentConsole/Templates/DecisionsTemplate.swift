extension ConsoleTemplates {
    /// The decision list with its filter.
    static let decisions = """
        {{> head}}
        <form class="filter" method="get" action="/decisions">
        <input type="hidden" name="source" value="{{source}}">
        <label>Decision <select name="decision">{{#decisionKinds}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{title}}</option>{{/decisionKinds}}</select></label>
        <label>Rule <input name="rule" size="14" value="{{filterRule}}"></label>
        <label>Reason <select name="reason">{{#reasonOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{title}}</option>{{/reasonOptions}}</select></label>
        <label>SKU <input name="sku" size="12" value="{{filterSku}}"></label>
        <label>FR <input name="fr" size="10" value="{{filterFr}}"></label>
        <label>Person <input name="person" size="10" value="{{filterPerson}}"></label>
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
}
