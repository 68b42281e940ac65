import { ApiSchema } from '@nestjs/swagger';
import { IsString, MinLength } from 'class-validator';

@ApiSchema({ name: 'RefreshRequest' })
export class RefreshTokenDto {
  @IsString()
  @MinLength(1)
  refresh_token: string;
}
