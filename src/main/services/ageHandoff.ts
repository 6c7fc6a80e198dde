// The encrypted handoff: the .env document with the secret, encrypted to the developer's age public key (age1…) with
// the age-encryption library and ASCII-armoured, so it can travel over chat or mail and only the developer opens it
// (`age -d -i key.txt handoff.env.age > .env`).
import { AppError } from '../../shared/errors';

export async function encryptToRecipient(document: string, recipient: string): Promise<string> {
  // Imported when a handoff is encrypted: the library and its post-quantum ciphers are most of main's code, and no
  // other command needs them (the CLI would load them on every call).
  const { Encrypter, armor } = await import('age-encryption');
  const encrypter = new Encrypter();
  try {
    encrypter.addRecipient(recipient.trim());
    return armor.encode(await encrypter.encrypt(document));
  } catch (error) {
    // The library refuses a key it cannot parse (a typo, an SSH key): say so on the field.
    throw AppError.invalid([
      {
        field: 'recipient',
        message: `Recipient is not an age public key (${error instanceof Error ? error.message : String(error)}); ask the developer for the age1… line of age-keygen.`,
      },
    ]);
  }
}
