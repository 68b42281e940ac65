import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import {
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  type ValidationArguments,
} from 'class-validator';

import { IsOmittable } from '../../common/validation/optional.decorator';
import { IgnoresUnknownFields } from '../../common/validation/validation.pipe';

/** Worded as FastAPI's OAuth2 password form words it, so clients of either see one answer. */
const patternMismatch = ({ constraints }: ValidationArguments) =>
  `String should match pattern '${(constraints[0] as RegExp).source}'`;

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
  @Matches(/^password$/, { message: patternMismatch })
  grant_type?: string;

  /** The account's email. */
  @IsString()
  @MinLength(1)
  @MaxLength(320)
  username: string;

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
