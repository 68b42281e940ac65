import { Field, InputType } from '@nestjs/graphql';

import { UpdateMeDto } from '../../users/dto/update-me.dto';
import { UpdateUserDto } from '../../users/dto/update-user.dto';
import type { Role } from '../../users/user.entity';
import { RoleEnum } from './user.model';

// REST's DTOs under GraphQL's names: the global RequestValidationPipe checks them by
// REST's rules and reports REST's field names (full_name). Every field may be left out;
// the DTO says which may be cleared with null.

@InputType('UserUpdateMeInput')
export class UserUpdateMeInput extends UpdateMeDto {
  @Field(() => String, { name: 'fullName', nullable: true })
  declare full_name?: string | null;

  @Field(() => String, { nullable: true })
  declare email?: string;
}

@InputType('UserUpdateInput')
export class UserUpdateInput extends UpdateUserDto {
  @Field(() => String, { name: 'fullName', nullable: true })
  declare full_name?: string | null;

  @Field(() => RoleEnum, { nullable: true })
  declare role?: Role;

  @Field(() => Boolean, { name: 'isActive', nullable: true })
  declare is_active?: boolean;
}
