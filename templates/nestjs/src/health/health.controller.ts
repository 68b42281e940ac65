import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';

import { Public } from '../auth/public.decorator';

interface Readiness {
  status: 'ok' | 'unavailable';
  checks: { database: 'ok' | 'unavailable' };
}

/** Sets the status code on either adapter's response object. */
interface StatusSettable {
  status?: (code: number) => unknown;
  code?: (code: number) => unknown;
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
  ) {}

  /** Liveness: the process answers; touches no database. */
  @Get()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: 503 while the database does not answer within 2 s. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) response: StatusSettable): Promise<Readiness> {
    try {
      await this.health.check([() => this.db.pingCheck('database', { timeout: 2_000 })]);
      return { status: 'ok', checks: { database: 'ok' } };
    } catch {
      const unavailable = HttpStatus.SERVICE_UNAVAILABLE;
      if (response.code) response.code(unavailable);
      else response.status?.(unavailable);
      return { status: 'unavailable', checks: { database: 'unavailable' } };
    }
  }
}
