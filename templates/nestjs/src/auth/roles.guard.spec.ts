import { type ExecutionContext, ForbiddenException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import type { User } from '../users/user.entity';
import { Roles } from './roles.decorator';
import { RolesGuard } from './roles.guard';

class Controller {
  @Roles('admin')
  adminOnly(): void {}

  open(): void {}
}

function contextFor(handler: () => void, user?: Partial<User>): ExecutionContext {
  return {
    getHandler: () => handler,
    getClass: () => Controller,
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => ({ user }) }),
  } as unknown as ExecutionContext;
}

describe('RolesGuard', () => {
  const guard = new RolesGuard(new Reflector());
  const { adminOnly, open } = Controller.prototype;

  it('lets anyone through a route without @Roles()', () => {
    expect(guard.canActivate(contextFor(open, { role: 'user' }))).toBe(true);
  });

  it('lets an admin through an admin route', () => {
    expect(guard.canActivate(contextFor(adminOnly, { role: 'admin' }))).toBe(true);
  });

  it('refuses a user, or no user, with 403', () => {
    expect(() => guard.canActivate(contextFor(adminOnly, { role: 'user' }))).toThrow(
      ForbiddenException,
    );
    expect(() => guard.canActivate(contextFor(adminOnly))).toThrow(ForbiddenException);
  });
});
