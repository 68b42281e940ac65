import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';

import { Public } from '../auth/public.decorator';
import { Documented } from '../docs/operations';
import { HealthDto, ReadinessDto } from './health.dto';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Documented('liveness')
  @Get()
  liveness(): HealthDto {
    return { status: 'ok' };
  }

  @Documented('readiness', { 503: ReadinessDto })
  @Get('ready')
  async readiness(@Res({ passthrough: true }) response: unknown): Promise<ReadinessDto> {
    try {
      await this.health.check([() => this.db.pingCheck('database', { timeout: 2_000 })]);
      return { status: 'ok', checks: { database: 'ok' } };
    } catch {
      this.adapterHost.httpAdapter.status(response, HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'unavailable', checks: { database: 'unavailable' } };
    }
  }
}
