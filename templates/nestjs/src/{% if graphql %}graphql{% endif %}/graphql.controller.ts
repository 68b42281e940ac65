import {
  Controller,
  Get,
  Inject,
  NotFoundException,
  type OnApplicationBootstrap,
  Param,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { AbstractGraphQLDriver } from '@nestjs/graphql';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { type DocumentNode, Kind, parse } from 'graphql';
import type { Repository } from 'typeorm';

import { Public } from '../auth/public.decorator';
import { Details } from '../common/messages';
import { User } from '../users/user.entity';
import { type Asset, GRAPHIQL_ASSETS } from './graphiql-assets';
import type { GraphqlContext } from './graphql-context';
import { ownerLoader } from './items/owner.loader';
import { type HttpRequest, type RoutedApolloDriver } from './routed-apollo.driver';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * GraphQL over HTTP at /graphql, run by Apollo Server (routed-apollo.driver.ts), and
 * the GraphiQL page. The route is public: each root field is signed in on its own (the
 * global guards), so that an anonymous query still gets introspection.
 */
@ApiExcludeController()
@Public()
@Controller('graphql')
export class GraphqlController implements OnApplicationBootstrap {
  private driver: RoutedApolloDriver;

  constructor(
    private readonly modules: ModuleRef,
    private readonly adapterHost: HttpAdapterHost,
    @InjectRepository(User) private readonly users: Repository<User>,
    @Inject(GRAPHIQL_ASSETS) private readonly assets: ReadonlyMap<string, Asset>,
  ) {}

  /** GraphQLModule's driver, whose server started as the application initialised. */
  onApplicationBootstrap(): void {
    this.driver = this.modules.get<RoutedApolloDriver>(AbstractGraphQLDriver, { strict: false });
  }

  /** A query in the URL (`?query=&variables=`), or the IDE for a browser that sends none. */
  @Get()
  async get(@Req() request: HttpRequest, @Res() response: unknown): Promise<void> {
    const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    const params = new URLSearchParams(search);
    const query = params.get('query');
    if (query) {
      const variables = params.get('variables');
      const refusal = requestRefusal({
        query,
        operationName: params.get('operationName') ?? undefined,
        variables: variables ? parsedJson(variables) : undefined,
      });
      if (refusal !== undefined) return this.refuse(response, refusal);
      return this.execute(request, response, search);
    }
    const page = this.assets.get('index.html');
    if (page !== undefined && acceptsHtml(request.headers.accept)) {
      return this.send(response, 200, page);
    }
    this.refuse(response, Details.graphqlNoQuery);
  }

  /** One operation, `{query, operationName?, variables?}`, in a JSON body. */
  @Post()
  async post(@Req() request: HttpRequest, @Res() response: unknown): Promise<void> {
    const { body } = request;
    if (Array.isArray(body)) return this.refuse(response, Details.graphqlBatch);
    if (typeof body !== 'object' || body === null) {
      return this.refuse(response, Details.graphqlNoQuery);
    }
    const refusal = requestRefusal(body);
    if (refusal !== undefined) return this.refuse(response, refusal);
    return this.execute(request, response, '');
  }

  /** The IDE's scripts, styles and licences; a 404 problem while the IDE is off. */
  @Get('ide/:file')
  ideFile(@Param('file') name: string, @Res() response: unknown): void {
    const asset = this.assets.get(name);
    if (asset === undefined) throw new NotFoundException(Details.notFound);
    this.send(response, 200, asset);
  }

  private async execute(request: HttpRequest, response: unknown, search: string): Promise<void> {
    const context: GraphqlContext = { req: request, owners: ownerLoader(this.users) };
    const answer = await this.driver.execute(request, search, context);
    // Incremental delivery (@defer, @stream) is not in the schema: one body, always.
    if (answer.body.kind !== 'complete') throw new Error('unexpected incremental response');
    const http = this.adapterHost.httpAdapter;
    for (const [name, value] of answer.headers) http.setHeader(response, name, value);
    // A mutation sent with GET (Apollo answers 405 with `Allow: POST` alone).
    if (answer.status === 405) http.setHeader(response, 'Allow', 'GET, POST');
    http.reply(response, answer.body.string, answer.status ?? 200);
  }

  /** A request that holds no operation to run: a GraphQL error, as Apollo answers its own. */
  private refuse(response: unknown, message: string): void {
    const body = JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
    this.send(response, 400, { contentType: JSON_TYPE, body });
  }

  private send(response: unknown, status: number, { contentType, body }: Asset): void {
    const http = this.adapterHost.httpAdapter;
    http.setHeader(response, 'Content-Type', contentType);
    http.reply(response, body, status);
  }
}

interface GraphqlRequest {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
}

/**
 * Why the request's members cannot run as GraphQL over HTTP has them, if they cannot:
 * checked here, before Apollo, whose own answers for these cases word them otherwise
 * and use a code of their own (OPERATION_RESOLUTION_FAILURE).
 */
function requestRefusal({ query, operationName, variables }: GraphqlRequest): string | undefined {
  if (typeof query !== 'string' || query === '') return Details.graphqlNoQuery;
  if (variables !== undefined && variables !== null) {
    if (typeof variables !== 'object' || Array.isArray(variables)) {
      return Details.graphqlVariablesNotObject;
    }
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    return Details.graphqlOperationNameNotString;
  }
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return undefined; // Apollo answers the syntax error itself
  }
  const names = document.definitions
    .filter((node) => node.kind === Kind.OPERATION_DEFINITION)
    .map((node) => node.name?.value);
  if (typeof operationName === 'string') {
    return names.includes(operationName)
      ? undefined
      : Details.graphqlUnknownOperation(operationName);
  }
  return names.length > 1 ? Details.graphqlOperationNameRequired : undefined;
}

/** JSON text's value; for text that is no JSON, a value no variables can be (a string). */
function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Whether the client takes HTML (a browser's address bar sends `text/html` first). */
function acceptsHtml(accept = ''): boolean {
  return accept
    .split(',')
    .some((range) => range.split(';')[0].trim().toLowerCase() === 'text/html');
}
