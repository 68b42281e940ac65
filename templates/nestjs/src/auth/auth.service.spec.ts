import { ConflictException, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';

import { AccountEmailService } from '../users/account-email.service';
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
  const accountEmail = { sendVerification: jest.fn() };
  const settings = { REQUIRE_VERIFIED_EMAIL: false };
  const pair = { access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 };

  let strict: AuthService;

  beforeAll(async () => {
    const compile = () =>
      Test.createTestingModule({
        providers: [
          AuthService,
          PasswordHasher,
          { provide: UsersService, useValue: users },
          { provide: TokensService, useValue: tokens },
          { provide: AccountEmailService, useValue: accountEmail },
          { provide: ConfigService, useValue: new ConfigService({ ...settings }) },
        ],
      }).compile();
    const moduleRef = await compile();
    auth = moduleRef.get(AuthService);
    settings.REQUIRE_VERIFIED_EMAIL = true;
    strict = (await compile()).get(AuthService);
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

  it('refuses an unverified user only with REQUIRE_VERIFIED_EMAIL, after the other checks', async () => {
    users.findByEmail.mockResolvedValue(user({ emailVerified: false }));
    await expect(auth.login('a@example.com', 'right password')).resolves.toBe(pair);
    await expect(strict.login('a@example.com', 'right password')).rejects.toThrow(
      new ForbiddenException('The email address is not verified.'),
    );
    await expect(strict.login('a@example.com', 'wrong password')).rejects.toBeInstanceOf(
      UnauthorizedException,
    );
    users.findByEmail.mockResolvedValue(user({ emailVerified: false, isActive: false }));
    await expect(strict.login('a@example.com', 'right password')).rejects.toThrow(
      new ForbiddenException('This account is deactivated.'),
    );
    users.findByEmail.mockResolvedValue(user({ emailVerified: true }));
    await expect(strict.login('a@example.com', 'right password')).resolves.toBe(pair);
  });

  it('mails a verification link to a new user', async () => {
    const created = user();
    users.create.mockResolvedValue(created);
    await expect(auth.register({ email: 'a@example.com', password: 'x'.repeat(8) })).resolves.toBe(
      created,
    );
    expect(accountEmail.sendVerification).toHaveBeenCalledWith(created);
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
