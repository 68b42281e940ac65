import { ApiSchema } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';

import { IsOmittable } from '../../common/validation/optional.decorator';

@ApiSchema({ name: 'ItemUpdate' })
export class UpdateItemDto {
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  title?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;
}
