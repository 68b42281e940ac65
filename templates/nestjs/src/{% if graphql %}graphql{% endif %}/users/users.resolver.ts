import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';

import { CurrentUser } from '../../auth/current-user.decorator';
import { Roles } from '../../auth/roles.decorator';
import type { Page } from '../../common/pagination/page.dto';
import { AccountEmailService } from '../../users/account-email.service';
import type { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { PageArgs } from '../page.model';
import { UuidScalar } from '../scalars';
import { UserUpdateInput, UserUpdateMeInput } from './user.inputs';
import { UserModel, UserPageModel } from './user.model';

/** The users routes of REST, over the same services: `me` for anyone signed in, the rest for admins. */
@Resolver(() => UserModel)
export class UsersResolver {
  constructor(
    private readonly usersService: UsersService,
    private readonly accountEmail: AccountEmailService,
  ) {}

  @Query(() => UserModel)
  me(@CurrentUser() user: User): User {
    return user;
  }

  @Mutation(() => UserModel)
  updateMe(@CurrentUser() user: User, @Args('input') input: UserUpdateMeInput): Promise<User> {
    return this.accountEmail.updateProfile(user, { email: input.email, fullName: input.full_name });
  }

  @Roles('admin')
  @Query(() => UserPageModel)
  users(@Args() page: PageArgs): Promise<Page<User>> {
    return this.usersService.list(page.limit, page.offset);
  }

  @Roles('admin')
  @Query(() => UserModel)
  user(@Args('id', { type: () => UuidScalar }) id: string): Promise<User> {
    return this.usersService.get(id);
  }

  @Roles('admin')
  @Mutation(() => UserModel)
  async updateUser(
    @Args('id', { type: () => UuidScalar }) id: string,
    @Args('input') input: UserUpdateInput,
  ): Promise<User> {
    const user = await this.usersService.get(id);
    return this.usersService.update(user, {
      fullName: input.full_name,
      role: input.role,
      isActive: input.is_active,
    });
  }

  /** Answers the deleted user's id. */
  @Roles('admin')
  @Mutation(() => UuidScalar)
  async deleteUser(@Args('id', { type: () => UuidScalar }) id: string): Promise<string> {
    await this.usersService.remove(id);
    return id;
  }
}
