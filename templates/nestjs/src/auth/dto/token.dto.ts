import { ApiProperty, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'Token' })
export class TokenDto {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  /** Access token lifetime in seconds. */
  @ApiProperty({ type: 'integer' })
  expires_in: number;
}
