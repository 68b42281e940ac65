import { type ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import type { User } from '../users/user.entity';
import { JwtAuthGuard } from './jwt-auth.guard';
import { Public } from './public.decorator';
import type { TokensService } from './tokens.service';

class Controller {
  @Public()
  open(): void {}

  closed(): void {}
}

const user = { id: 'u1', role: 'user', isActive: true } as User;

function contextFor(handler: () => void, authorization?: string) {
  const request: { headers: Record<string, string | undefined>; user?: User } = {
    headers: { authorization },
  };
  const context = {
    getHandler: () => handler,
    getClass: () => Controller,
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { context, request };
}

describe('JwtAuthGuard', () => {
  const userForAccessToken = jest.fn((token: string) =>
    token === 'good' ? Promise.resolve(user) : Promise.reject(new UnauthorizedException()),
  );
  const guard = new JwtAuthGuard(new Reflector(), {
    userForAccessToken,
  } as unknown as TokensService);
  const { open, closed } = Controller.prototype;

  it('lets anyone through a @Public() route, at once', () => {
    expect(guard.canActivate(contextFor(open).context)).toBe(true);
    expect(userForAccessToken).not.toHaveBeenCalled();
  });

  it('loads the user of a valid bearer token onto the request', async () => {
    const { context, request } = contextFor(closed, 'Bearer good');
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(request.user).toBe(user);
  });

  it.each([undefined, '', 'Bearer', 'Basic good', 'Bearer bad'])(
    'refuses %p with 401',
    async (header) => {
      await expect(guard.canActivate(contextFor(closed, header).context)).rejects.toBeInstanceOf(
        UnauthorizedException,
      );
    },
  );
});
