extension ConsoleTemplates {
    /// An uploaded count compared with the counts in force, before it is confirmed.
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
}
