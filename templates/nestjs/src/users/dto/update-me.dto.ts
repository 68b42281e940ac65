import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';

import { normalizeEmail } from './email';

export class UpdateMeDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  full_name?: string | null;

  @IsOptional()
  @Transform(normalizeEmail)
  @IsEmail()
  @MaxLength(320)
  email?: string;
}
