import { Field, InputType } from '@nestjs/graphql';

import { CreateItemDto } from '../../items/dto/create-item.dto';
import { UpdateItemDto } from '../../items/dto/update-item.dto';

// REST's DTOs as GraphQL input types: the global RequestValidationPipe checks them by
// REST's rules (a null title is "Must not be null" there, not a GraphQL type error).

@InputType('ItemCreateInput')
export class ItemCreateInput extends CreateItemDto {
  @Field(() => String)
  declare title: string;

  @Field(() => String, { nullable: true })
  declare description?: string | null;
}

@InputType('ItemUpdateInput')
export class ItemUpdateInput extends UpdateItemDto {
  @Field(() => String, { nullable: true })
  declare title?: string;

  @Field(() => String, { nullable: true })
  declare description?: string | null;
}
