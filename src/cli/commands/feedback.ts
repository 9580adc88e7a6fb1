import { giveFeedback } from '../../profile/profiles.ts';
import type { Register } from '../commands.ts';
import { asCliError } from './profile.ts';

export const registerFeedback: Register = (program, ctx) => {
  program
    .command('feedback')
    .description('tell a profile what you think of a paper: like and save teach it, dismiss and seen hide the paper for good')
    .argument('<profile>', 'profile name')
    .argument('<id>', 'paper id (arxiv:…, doi:…, an arXiv URL…)')
    .argument('<action>', 'like | save | dismiss | seen')
    .action(async (name: string, id: string, action: string) => {
      const c = ctx();
      const r = await c.withStore((s) => giveFeedback(s, name, id, action, c.now())).catch((e) => {
        throw asCliError(e);
      });
      if (c.json) return c.emitJson({ profile: name, ...r });
      c.say(`${name}: ${r.action} ${r.id}  ${r.title}`);
    });
};
