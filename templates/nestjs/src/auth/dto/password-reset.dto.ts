import { ApiSchema } from '@nestjs/swagger';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';

import { ToNormalizedEmail } from '../../users/dto/email';

@ApiSchema({ name: 'PasswordResetRequest' })
export class PasswordResetRequestDto {
  /** Compared lower-cased, as stored. */
  @ToNormalizedEmail()
  @IsEmail()
  @MaxLength(320)
  email: string;
}

@ApiSchema({ name: 'PasswordResetConfirm' })
export class PasswordResetConfirmDto {
  /** The `token` of the link in the mail. */
  @IsString()
  @Length(1, 128)
  token: string;

  @IsString()
  @Length(8, 128)
  new_password: string;
}
