import { PageMetaDto } from '../../common/pagination/page.dto';
import type { Role, User } from '../user.entity';

/** A user as the API shows it: never a password or hash. */
export class UserDto {
  /** @example "0b6f7a9e-2d1c-4f7e-9a3b-5c8d1e2f3a4b" */
  id: string;
  email: string;
  full_name: string | null;
  /** One of `user`, `admin`. */
  role: Role;
  is_active: boolean;
  created_at: string;

  static from(user: User): UserDto {
    return {
      id: user.id,
      email: user.email,
      full_name: user.fullName,
      role: user.role,
      is_active: user.isActive,
      created_at: user.createdAt.toISOString(),
    };
  }
}

export class UserPageDto extends PageMetaDto {
  items: UserDto[];
}
