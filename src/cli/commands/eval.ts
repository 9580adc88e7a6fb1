/**
 * `radar eval …`: quality measurements on labelled data. Each subcommand lives
 * in its own file and adds itself here with one line.
 */
import type { Register } from '../commands.ts';
import { addEvalBeir } from './eval-beir.ts';
import { addEvalExpertise } from './eval-expertise.ts';
import { addEvalProfile } from './eval-profile.ts';

export const registerEval: Register = (program, ctx) => {
  const evalCmd = program.command('eval').description('measure retrieval and recommendation quality on labelled data');
  addEvalBeir(evalCmd, ctx);
  addEvalExpertise(evalCmd, ctx);
  addEvalProfile(evalCmd, ctx);
};
