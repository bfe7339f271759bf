extension ConsoleTemplates {
    /// Stock per SKU and location, the pools, the upload form.
    static let stock = """
        {{> head}}
        <p>Pool <strong>{{pool}}</strong>: {{#counted}}last count imported <span title="{{exact}}">{{text}}</span>{{/counted}}{{^counted}}no count imported yet{{/counted}}.</p>
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
        {{#hasKits}}
        <h2>Kits</h2>
        <p>A kit is promised from its components; it can be built as many times as its scarcest component allows.</p>
        <table class="list"><thead><tr><th>Kit</th><th>Buildable now</th><th>Each kit takes</th></tr></thead><tbody>
        {{/hasKits}}
        {{#kits}}<tr><td>{{sku}}</td><td{{#short}} class="warn"{{/short}}>{{buildable}}</td><td>{{parts}}</td></tr>
        {{/kits}}
        {{#hasKits}}</tbody></table>{{/hasKits}}
        {{#hasPromised}}
        <h2>Promised against stock on its way</h2>
        <table class="list"><thead><tr><th>FR</th><th>Units</th><th>From the arrival of</th><th>State</th></tr></thead><tbody>
        {{/hasPromised}}
        {{#promised}}<tr><td><a href="/fr?q={{frId}}&amp;source={{source}}">{{name}}</a></td><td>{{units}}</td><td>{{lands}}</td><td{{#slipped}} class="warn"{{/slipped}}>{{state}}</td></tr>
        {{/promised}}
        {{#hasPromised}}</tbody></table>{{/hasPromised}}
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
}
