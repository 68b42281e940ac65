import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

import { IsOmittable } from '../../common/validation/optional.decorator';
import { ROLES, type Role } from '../user.entity';

/** What an admin may change on any user. */
@ApiSchema({ name: 'UserUpdate' })
export class UpdateUserDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  full_name?: string | null;

  @ApiProperty({ required: false, enum: ROLES, enumName: 'Role' })
  @IsOmittable()
  @IsIn(ROLES)
  role?: Role;

  @IsOmittable()
  @IsBoolean()
  is_active?: boolean;
}
