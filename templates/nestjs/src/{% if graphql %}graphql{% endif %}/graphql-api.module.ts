import type { ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { GraphQLModule } from '@nestjs/graphql';
import { TypeOrmModule } from '@nestjs/typeorm';

import { graphqlIdeOn, type Settings } from '../config/settings';
import { ItemsModule } from '../items/items.module';
import { User } from '../users/user.entity';
import { UsersModule } from '../users/users.module';
import { apolloOptions } from './apollo-options';
import { GRAPHIQL_ASSETS, graphiqlAssets } from './graphiql-assets';
import { GraphqlController } from './graphql.controller';
import { ItemsResolver } from './items/items.resolver';
import { RoutedApolloDriver } from './routed-apollo.driver';
import { UsersResolver } from './users/users.resolver';

function ideOn(config: ConfigService<Settings, true>): boolean {
  return graphqlIdeOn({
    APP_ENV: config.get('APP_ENV', { infer: true }),
    GRAPHQL_IDE: config.get('GRAPHQL_IDE', { infer: true }),
  });
}

/** The GraphQL API at /graphql, over the services of the REST API. */
@Module({
  imports: [
    UsersModule,
    ItemsModule,
    TypeOrmModule.forFeature([User]),
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: RoutedApolloDriver,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Settings, true>) => apolloOptions(ideOn(config)),
    }),
  ],
  controllers: [GraphqlController],
  providers: [
    UsersResolver,
    ItemsResolver,
    {
      provide: GRAPHIQL_ASSETS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Settings, true>) => graphiqlAssets(ideOn(config)),
    },
  ],
})
export class GraphqlApiModule {}
