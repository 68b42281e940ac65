import { ApiSchema } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

@ApiSchema({ name: 'EmailVerification' })
export class EmailVerificationDto {
  /** The `token` of the link in the mail. */
  @IsString()
  @Length(1, 128)
  token: string;
}
