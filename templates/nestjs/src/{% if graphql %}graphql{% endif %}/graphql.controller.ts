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
    if (new URLSearchParams(search).get('query')) {
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
    const query = typeof body === 'object' && body !== null && (body as { query?: unknown }).query;
    if (typeof query !== 'string' || query === '') {
      return this.refuse(response, Details.graphqlNoQuery);
    }
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

/** Whether the client takes HTML (a browser's address bar sends `text/html` first). */
function acceptsHtml(accept = ''): boolean {
  return accept
    .split(',')
    .some((range) => range.split(';')[0].trim().toLowerCase() === 'text/html');
}
