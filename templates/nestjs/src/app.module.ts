import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_PIPE, RouterModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';

import { AuthModule } from './auth/auth.module';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { RolesGuard } from './auth/roles.guard';
import { ContentTypeGuard } from './common/http/content-type.guard';
import { ProblemFilter } from './common/http/problem.filter';
import { RouteTable } from './common/http/route-table';
import { loggerParams } from './common/logging/logger';
import { RequestValidationPipe } from './common/validation/validation.pipe';
import { type Settings, validateSettings } from './config/settings';
import { databaseOptions } from './database/database.options';
import { HealthModule } from './health/health.module';
import { ItemsModule } from './items/items.module';
import { UsersModule } from './users/users.module';

@Module({
  imports: [
    // Routes (and the OpenAPI document's paths) in the contract's order.
    HealthModule,
    AuthModule,
    UsersModule,
    ItemsModule,
    // The API lives under /api/v1; health checks and docs stay at the root.
    RouterModule.register([{ path: 'api/v1', children: [AuthModule, UsersModule, ItemsModule] }]),
  ],
  providers: [
    RouteTable,
    // Global guards run in this order: who you are, what you may do, what you sent.
    { provide: APP_GUARD, useExisting: JwtAuthGuard },
    { provide: APP_GUARD, useExisting: RolesGuard },
    { provide: APP_GUARD, useClass: ContentTypeGuard },
    { provide: APP_PIPE, useClass: RequestValidationPipe },
    { provide: APP_FILTER, useClass: ProblemFilter },
  ],
})
export class AppModule {
  /**
   * The settings-dependent infrastructure. A method, not decorator metadata, so that
   * the environment is validated when the app is created rather than when this file is
   * imported (tests start apps with different settings).
   */
  static forRoot(): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // `.env` is loaded by src/config/env.ts (before entities read DATABASE_URL).
        ConfigModule.forRoot({
          isGlobal: true,
          cache: true,
          ignoreEnvFile: true,
          validate: validateSettings,
        }),
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<Settings, true>) =>
            loggerParams({
              APP_ENV: config.get('APP_ENV', { infer: true }),
              LOG_LEVEL: config.get('LOG_LEVEL', { infer: true }),
            }),
        }),
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<Settings, true>) => ({
            ...databaseOptions(config.get('DATABASE_URL', { infer: true })),
            // The entities each feature module registers with TypeOrmModule.forFeature().
            autoLoadEntities: true,
            // Pending migrations are applied as the app starts, so that serving is one
            // process (`make start`, the Docker image); `make migrate` applies them alone.
            migrationsRun: true,
          }),
        }),
      ],
    };
  }
}
