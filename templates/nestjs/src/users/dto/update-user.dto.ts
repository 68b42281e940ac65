import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

import { ROLES, type Role } from '../user.entity';

/** What an admin may change on any user. */
export class UpdateUserDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  full_name?: string | null;

  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @IsOptional()
  @IsBoolean()
  is_active?: boolean;
}
