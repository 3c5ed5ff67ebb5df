import { mount } from 'svelte';
import '../styles/tokens.css';
import Embed from './Embed.svelte';

const target = document.getElementById('embed');
if (!target) throw new Error('embed.html has no #embed element');
mount(Embed, { target });
