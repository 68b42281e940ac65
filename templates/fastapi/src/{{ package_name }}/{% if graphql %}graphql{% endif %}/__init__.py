"""The GraphQL API at /graphql: a Strawberry schema over the REST API's services."""
