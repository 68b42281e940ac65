import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

import { IsOmittable } from '../../common/validation/optional.decorator';
import { IgnoresUnknownFields } from '../../common/validation/validation.pipe';

/** RFC 6749 §3.2: a parameter sent without a value counts as omitted ("Field required"). */
const EmptyAsOmitted = () =>
  Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));

/**
 * The OAuth2 password grant's token request (RFC 6749 §4.3.2), as the docs' Authorize
 * dialog and OAuth2 clients send it. Parameters it does not know are ignored (§3.2).
 */
@ApiSchema({ name: 'LoginForm' })
@IgnoresUnknownFields()
export class LoginDto {
  /** `password` when sent: the only grant this endpoint serves. */
  // RFC 6749 §3.2: a parameter sent without a value counts as omitted.
  @ValidateIf((_dto, value) => value !== undefined && value !== '')
  @Matches(/^password$/)
  grant_type?: string;

  /** The account's email. */
  @EmptyAsOmitted()
  @IsString()
  @MinLength(1)
  @MaxLength(320)
  username: string;

  @EmptyAsOmitted()
  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password: string;

  /** Accepted and unused: the service grants no scopes. */
  @IsOmittable()
  @IsString()
  scope?: string;

  /** Accepted and unused: the service does not authenticate clients. */
  @IsOmittable()
  @IsString()
  client_id?: string;

  /** Accepted and unused, like client_id. */
  @ApiProperty({ required: false, format: 'password' })
  @IsOmittable()
  @IsString()
  client_secret?: string;
}
