/// The HTML report's templates: everything inline (styles, charts, script), no external asset.
enum HTMLReportTemplates {
    static let head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>source-agent decision report</title>
        <style>
        body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #222; }
        h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 1.5rem; }
        dl.facts { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; }
        dl.facts dt { color: #555; } dl.facts dd { margin: 0; }
        .charts { display: flex; flex-wrap: wrap; gap: 1.5rem; }
        .chart { border: 1px solid #ddd; background: #fafafa; }
        .chart text { font-size: 11px; fill: #333; }
        table { border-collapse: collapse; margin-top: .5rem; }
        th, td { border-bottom: 1px solid #e4e4e4; padding: .25rem .5rem; text-align: left; vertical-align: top; }
        th { cursor: pointer; background: #f0f0f0; position: sticky; top: 0; }
        th[aria-sort=ascending]::after { content: " ▲"; } th[aria-sort=descending]::after { content: " ▼"; }
        tr.cancel td:nth-child(5) { color: #c62828; } tr.hold td:nth-child(5) { color: #6a1b9a; }
        </style>
        </head>
        <body>
        <h1>Decision report</h1>
        <p>From {{since}} to {{until}}.</p>
        <h2>Summary</h2>
        <dl class="facts">
        {{#facts}}<dt>{{label}}</dt><dd>{{value}}</dd>
        {{/facts}}
        </dl>
        <h2>Charts</h2>
        <div class="charts">
        <figure>
        <figcaption>Decisions per day, by kind</figcaption>
        <svg id="chart-days" class="chart" width="560" height="230" viewBox="0 0 560 230" role="img" aria-label="Decisions per day by kind">
        {{#days}}{{#bars}}<rect class="bar" x="{{x}}" y="{{y}}" width="{{w}}" height="{{h}}" fill="{{color}}"><title>{{title}}</title></rect>{{/bars}}
        <text x="10" y="196">{{first}}</text><text x="550" y="196" text-anchor="end">{{last}}</text>
        <text x="550" y="14" text-anchor="end">max {{top}} a day</text>{{/days}}
        {{#legend}}<rect x="{{x}}" y="210" width="10" height="10" fill="{{color}}"></rect><text x="{{x}}" dx="14" y="219">{{kind}}</text>{{/legend}}
        </svg>
        </figure>
        <figure>
        <figcaption>Top reasons</figcaption>
        {{#reasons}}<svg id="chart-reasons" class="chart" width="560" height="{{height}}" viewBox="0 0 560 {{height}}" role="img" aria-label="Top reasons">
        {{#bars}}<rect class="bar" x="200" y="{{y}}" width="{{w}}" height="20" fill="#c62828"><title>{{label}}: {{count}}</title></rect><text x="194" y="{{ty}}" text-anchor="end">{{label}}</text><text x="540" y="{{ty}}" text-anchor="end">{{count}}</text>{{/bars}}
        </svg>{{/reasons}}
        </figure>
        <figure>
        <figcaption>Answer latency (FR sent → answer confirmed)</figcaption>
        <svg id="chart-latency" class="chart" width="560" height="200" viewBox="0 0 560 200" role="img" aria-label="Answer latency distribution">
        {{#latency}}{{#bars}}<rect class="bar" x="{{x}}" y="{{y}}" width="70" height="{{h}}" fill="#1565c0"><title>{{label}}: {{count}}</title></rect><text x="{{lx}}" y="188" text-anchor="middle">{{label}}</text>{{/bars}}{{/latency}}
        </svg>
        </figure>
        </div>
        <h2>Decisions</h2>
        <p><label>Filter <input id="filter" type="search" placeholder="FR, rule, reason, SKU…"></label>
        <span id="shown">{{decisions}}</span> of {{decisions}} shown; click a heading to sort.</p>
        <table id="decisions">
        <thead><tr>{{#columns}}<th data-key="{{key}}" data-type="{{type}}">{{key}}</th>{{/columns}}</tr></thead>
        <tbody>

        """

    static let row = """
        <tr class="{{decision}}">{{#cells}}<td>{{value}}</td>{{/cells}}</tr>

        """

    static let foot = """
        </tbody>
        </table>
        <script>
        (function () {
          var table = document.getElementById("decisions");
          var body = table.tBodies[0];
          var heads = table.tHead.rows[0].cells;
          var filter = document.getElementById("filter");
          var shown = document.getElementById("shown");
          var sorted = -1, ascending = true;
          function applyFilter() {
            var query = filter.value.trim().toLowerCase(), count = 0;
            for (var i = 0; i < body.rows.length; i++) {
              var row = body.rows[i];
              var hit = !query || row.textContent.toLowerCase().indexOf(query) >= 0;
              row.hidden = !hit;
              if (hit) count++;
            }
            shown.textContent = count;
          }
          function sortBy(column, up) {
            var numeric = heads[column].dataset.type === "number";
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (a, b) {
              var x = a.cells[column].textContent, y = b.cells[column].textContent;
              var order = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
              return up ? order : -order;
            });
            rows.forEach(function (row) { body.appendChild(row); });
            for (var i = 0; i < heads.length; i++) heads[i].removeAttribute("aria-sort");
            heads[column].setAttribute("aria-sort", up ? "ascending" : "descending");
            sorted = column; ascending = up;
          }
          table.tHead.addEventListener("click", function (event) {
            var head = event.target.closest("th");
            if (head) sortBy(head.cellIndex, sorted === head.cellIndex ? !ascending : true);
          });
          filter.addEventListener("input", applyFilter);
          var preset = new URLSearchParams(location.hash.slice(1));
          if (preset.has("filter")) filter.value = preset.get("filter");
          if (preset.has("sort")) {
            for (var i = 0; i < heads.length; i++) {
              if (heads[i].dataset.key === preset.get("sort")) sortBy(i, preset.get("dir") !== "desc");
            }
          }
          applyFilter();
        })();
        </script>
        </body>
        </html>

        """
}
