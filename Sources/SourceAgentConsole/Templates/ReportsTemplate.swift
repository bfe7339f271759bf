extension ConsoleTemplates {
    /// The report window and links to each format.
    static let reports = """
        {{> head}}
        <form class="filter" method="get" action="/reports">
        <input type="hidden" name="source" value="{{source}}">
        <label>Since <input name="since" size="22" value="{{since}}" placeholder="7d, 2026-11-01 or a date-time"></label>
        <label>Until <input name="until" size="22" value="{{until}}" placeholder="now"></label>
        <button>Choose</button>
        </form>
        {{#problem}}<p class="refused">{{problem}}</p>{{/problem}}
        {{#from}}<p>Decisions from {{from}} to {{to}} (UTC), as <code>source-agent report</code> writes them:</p>
        <ul>{{#links}}<li><a href="{{href}}">{{format}}</a></li>{{/links}}</ul>
        <p>The html report opens in this window (its table sorts and filters); csv and json download.</p>{{/from}}
        {{> foot}}
        """
}
