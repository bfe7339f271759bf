extension ConsoleTemplates {
    /// The sign-in form.
    static let login = """
        {{> head}}
        {{#message}}<p class="refused">{{message}}</p>{{/message}}
        <form method="post" action="/login" class="decide">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="next" value="{{next}}">
        <label>Name <input name="name" autocomplete="username" required autofocus></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
        <button>Sign in</button>
        </form>
        {{> foot}}
        """
}
