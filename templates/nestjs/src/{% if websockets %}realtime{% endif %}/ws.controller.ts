import { Controller, Get, HttpException, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';

import { Public } from '../auth/public.decorator';
import { Details } from '../common/messages';

/** Nest's HttpStatus has no 426. */
const UPGRADE_REQUIRED = 426;

/**
 * GET /ws without an upgrade (a browser tab, curl): 426 with `Upgrade: websocket`. The
 * upgrade itself never reaches the router (the WebSocket adapter takes it first); being
 * a route, /ws answers other methods with the 405 of the route table.
 */
@ApiExcludeController()
@Public()
@Controller('ws')
export class WsController {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  @Get()
  upgradeRequired(@Res({ passthrough: true }) response: unknown): never {
    this.adapterHost.httpAdapter.setHeader(response, 'Upgrade', 'websocket');
    throw new HttpException(Details.wsUpgradeRequired, UPGRADE_REQUIRED);
  }
}
