import { ApiSchema } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

@ApiSchema({ name: 'PasswordChange' })
export class ChangePasswordDto {
  @IsString()
  @Length(1, 128)
  current_password: string;

  @IsString()
  @Length(8, 128)
  new_password: string;
}
