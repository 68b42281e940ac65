import { ApiSchema } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';

import { IsOmittable } from '../../common/validation/optional.decorator';
import { ToNormalizedEmail } from './email';

@ApiSchema({ name: 'UserUpdateMe' })
export class UpdateMeDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  full_name?: string | null;

  @IsOmittable()
  @ToNormalizedEmail()
  @IsEmail()
  @MaxLength(320)
  email?: string;
}
