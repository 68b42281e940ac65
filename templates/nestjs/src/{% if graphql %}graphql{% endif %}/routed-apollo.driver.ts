import type { IncomingHttpHeaders } from 'node:http';

import type * as Apollo from '@apollo/server' with { 'resolution-mode': 'import' };
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Injectable } from '@nestjs/common';

import type { GraphqlContext } from './graphql-context';

/** What Apollo is given of an HTTP request (Fastify's and Express's requests alike). */
export interface HttpRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body?: unknown;
}

/**
 * ApolloDriver, whose server a Nest route serves (graphql.controller.ts) rather than one
 * mounted on Fastify or Express behind Nest's back: /graphql then meets the HTTP layer
 * every route meets (its body parsers and their 400 and 413 problems, the 415 of
 * ContentTypeGuard, 405 with Allow, HEAD), the same on both adapters.
 */
@Injectable()
export class RoutedApolloDriver extends ApolloDriver {
  private apollo: typeof Apollo;

  override async registerServer(options: ApolloDriverConfig): Promise<void> {
    // The ES module, as @nestjs/apollo imports it: one copy of Apollo Server in the
    // process, not a CommonJS one beside it.
    this.apollo = await import('@apollo/server');
    const server = new this.apollo.ApolloServer<Apollo.BaseContext>({
      ...options,
      schema: options.schema!,
      typeDefs: undefined,
      resolvers: undefined,
    });
    await server.start();
    this.apolloServer = server;
  }

  /** Runs the request's operation; `search` is its URL's query string. */
  execute(
    request: HttpRequest,
    search: string,
    context: GraphqlContext,
  ): Promise<Apollo.HTTPGraphQLResponse> {
    const headers = new this.apollo.HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    return this.apolloServer.executeHTTPGraphQLRequest({
      // HEAD is answered as GET is, the adapter leaving out the body.
      httpGraphQLRequest: {
        method: request.method === 'HEAD' ? 'GET' : request.method,
        headers,
        search,
        body: request.body,
      },
      context: () => Promise.resolve(context),
    });
  }
}
