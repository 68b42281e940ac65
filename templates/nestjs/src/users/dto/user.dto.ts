import { ApiProperty, ApiSchema } from '@nestjs/swagger';

import { PageMetaDto } from '../../common/pagination/page.dto';
import { ROLES } from '../user.entity';
import type { Role, User } from '../user.entity';

/** A user as the API shows it: never a password or hash. */
@ApiSchema({ name: 'User' })
export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  email: string;
  full_name: string | null;
  @ApiProperty({ enum: ROLES, enumName: 'Role' })
  role: Role;
  is_active: boolean;
  email_verified: boolean;
  @ApiProperty({ format: 'date-time' })
  created_at: string;

  static from(user: User): UserDto {
    return {
      id: user.id,
      email: user.email,
      full_name: user.fullName,
      role: user.role,
      is_active: user.isActive,
      email_verified: user.emailVerified,
      created_at: user.createdAt.toISOString(),
    };
  }
}

@ApiSchema({ name: 'UserPage' })
export class UserPageDto extends PageMetaDto {
  items: UserDto[];
}
