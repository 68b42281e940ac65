import { ApiSchema } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';

@ApiSchema({ name: 'ItemCreate' })
export class CreateItemDto {
  @IsString()
  @Length(1, 200)
  title: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;
}
