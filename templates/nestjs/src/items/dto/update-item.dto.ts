import { PartialType } from '@nestjs/swagger';

import { CreateItemDto } from './create-item.dto';

export class UpdateItemDto extends PartialType(CreateItemDto) {}
