import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

import type { User } from '../users/user.entity';

/** The signed-in user, as loaded by JwtAuthGuard. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): User =>
    context.switchToHttp().getRequest<{ user: User }>().user,
);
