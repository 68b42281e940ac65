// Starts GraphiQL on the page at GET /graphql. A file of its own rather than an inline
// script, so the page runs under a policy that allows the service's own scripts only.
// The access token from POST /api/v1/auth/login goes into the Headers tab:
// {"Authorization": "Bearer <access_token>"}.
(function () {
  var fetcher = GraphiQL.createFetcher({ url: "/graphql" });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: "headers",
      defaultHeaders: JSON.stringify({ Authorization: "Bearer " }, null, 2),
    }),
  );
})();
