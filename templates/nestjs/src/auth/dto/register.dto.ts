import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';

import { normalizeEmail } from '../../users/dto/email';

export class RegisterDto {
  /** Stored lower-cased. */
  @Transform(normalizeEmail)
  @IsEmail()
  @MaxLength(320)
  email: string;

  @IsString()
  @Length(8, 128)
  password: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  full_name?: string | null;
}
