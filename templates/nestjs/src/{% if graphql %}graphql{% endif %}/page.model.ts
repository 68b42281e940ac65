import type { Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';

import { PageQueryDto } from '../common/pagination/page.dto';
import { ValidatedAs } from '../common/validation/validation.pipe';

/** `limit` and `offset` of `items` and `users`: REST's query parameters, by its rules. */
@ArgsType()
@ValidatedAs('query')
export class PageArgs extends PageQueryDto {
  @Field(() => Int, { defaultValue: 20 })
  declare limit: number;

  @Field(() => Int, { defaultValue: 0 })
  declare offset: number;
}

/** A page of `item` objects, with REST's paging fields beside them. */
export function PageOf<T>(item: Type<T>) {
  @ObjectType({ isAbstract: true })
  abstract class Page {
    @Field(() => [item])
    items: T[];

    @Field(() => Int)
    total: number;

    @Field(() => Int)
    limit: number;

    @Field(() => Int)
    offset: number;
  }
  return Page;
}
