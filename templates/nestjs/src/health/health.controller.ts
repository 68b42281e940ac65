import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';

import { Public } from '../auth/public.decorator';

interface Readiness {
  status: 'ok' | 'unavailable';
  checks: { database: 'ok' | 'unavailable' };
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Liveness: the process answers; touches no database. */
  @Get()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: 503 while the database does not answer within 2 s. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) response: unknown): Promise<Readiness> {
    try {
      await this.health.check([() => this.db.pingCheck('database', { timeout: 2_000 })]);
      return { status: 'ok', checks: { database: 'ok' } };
    } catch {
      this.adapterHost.httpAdapter.status(response, HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'unavailable', checks: { database: 'unavailable' } };
    }
  }
}
