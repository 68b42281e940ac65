import { ApiSchema } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';

import { ToNormalizedEmail } from '../../users/dto/email';

@ApiSchema({ name: 'UserCreate' })
export class RegisterDto {
  /** Stored lower-cased. */
  @ToNormalizedEmail()
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
