import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';

import type { Role } from '../../users/user.entity';
import { PageOf } from '../page.model';
import { DateTimeScalar, UuidScalar } from '../scalars';

/** The roles, named as GraphQL enum values are; their values are the stored ones. */
export const RoleEnum = { ADMIN: 'admin', USER: 'user' } as const satisfies Record<string, Role>;
registerEnumType(RoleEnum, { name: 'Role' });

/** A user as the API shows it (REST's User): never a password or hash. */
@ObjectType('User')
export class UserModel {
  @Field(() => UuidScalar)
  id: string;

  @Field(() => String)
  email: string;

  @Field(() => String, { nullable: true })
  fullName: string | null;

  @Field(() => RoleEnum)
  role: Role;

  @Field(() => Boolean)
  isActive: boolean;

  @Field(() => Boolean)
  emailVerified: boolean;

  @Field(() => DateTimeScalar)
  createdAt: Date;
}

@ObjectType('UserPage')
export class UserPageModel extends PageOf(UserModel) {}
