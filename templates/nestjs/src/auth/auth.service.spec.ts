import { ConflictException, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import { PasswordHasher } from '../users/password-hasher';
import type { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { AuthService } from './auth.service';
import { TokensService } from './tokens.service';

describe('AuthService', () => {
  let auth: AuthService;
  let hash: string;
  const users = { findByEmail: jest.fn(), create: jest.fn() };
  const tokens = { issuePair: jest.fn(), rotate: jest.fn(), revokeFor: jest.fn() };
  const pair = { access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 };

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [
        AuthService,
        PasswordHasher,
        { provide: UsersService, useValue: users },
        { provide: TokensService, useValue: tokens },
      ],
    }).compile();
    auth = moduleRef.get(AuthService);
    hash = await moduleRef.get(PasswordHasher).hash('right password');
  });

  beforeEach(() => {
    jest.resetAllMocks();
    tokens.issuePair.mockResolvedValue(pair);
  });

  const user = (overrides: Partial<User> = {}) =>
    ({
      id: 'u1',
      email: 'a@example.com',
      passwordHash: hash,
      isActive: true,
      ...overrides,
    }) as User;

  it('issues a pair for the right password', async () => {
    users.findByEmail.mockResolvedValue(user());
    await expect(auth.login('a@example.com', 'right password')).resolves.toBe(pair);
  });

  it('gives one 401 for a wrong password and an unknown email', async () => {
    users.findByEmail.mockResolvedValueOnce(user()).mockResolvedValueOnce(null);
    for (let i = 0; i < 2; i += 1) {
      await expect(auth.login('a@example.com', 'wrong password')).rejects.toThrow(
        new UnauthorizedException('Incorrect email or password.'),
      );
    }
    expect(tokens.issuePair).not.toHaveBeenCalled();
  });

  it('checks the password before telling an inactive user 403', async () => {
    users.findByEmail.mockResolvedValue(user({ isActive: false }));
    await expect(auth.login('a@example.com', 'wrong password')).rejects.toBeInstanceOf(
      UnauthorizedException,
    );
    await expect(auth.login('a@example.com', 'right password')).rejects.toBeInstanceOf(
      ForbiddenException,
    );
  });

  it('registers through UsersService, passing its conflicts on', async () => {
    users.create.mockRejectedValue(new ConflictException());
    await expect(
      auth.register({ email: 'a@example.com', password: 'x'.repeat(8) }),
    ).rejects.toBeInstanceOf(ConflictException);
    expect(users.create).toHaveBeenCalledWith({
      email: 'a@example.com',
      password: 'x'.repeat(8),
      fullName: undefined,
    });
  });

  it('delegates refresh and logout to TokensService', async () => {
    tokens.rotate.mockResolvedValue(pair);
    await expect(auth.refresh('r')).resolves.toBe(pair);
    await auth.logout(user(), 'r');
    expect(tokens.revokeFor).toHaveBeenCalledWith(expect.objectContaining({ id: 'u1' }), 'r');
  });
});
